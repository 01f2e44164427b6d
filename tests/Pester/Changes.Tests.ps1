# The write cmdlets, each against its own sample corp served over loopback HTTP, so changes never leak between suites.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

AfterAll {
    if ($script:server) { Stop-TestSandboxServer $script:server }
}

Describe 'New-WeComUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'creates members from CSV rows, reports the invalid row and creates the others' {
        $rows = @'
UserId,Name,Mobile,Email,Department,Order,Gender,Position
chen.xin,陈新,13900000001,,5;6,10;20,Female,后台工程师
no.contact,无联系,,,5,,,
lin.hai,林海,,lin.hai@example.com,,,,
'@ | ConvertFrom-Csv

        $created = $rows | New-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue

        $created.UserId | Should -Be @('chen.xin', 'lin.hai')
        $created[0] | Should -BeOfType ([WeComPS.WeComUser])
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'MobileAndEmailMissing,WeComPS.Commands.NewWeComUserCommand'
        $err[0].TargetObject | Should -BeExactly 'no.contact'
        $chen = Get-WeComUser -UserId chen.xin
        $chen.Department | Should -Be @(5, 6)
        $chen.Order | Should -Be @(10, 20)
        $chen.Gender | Should -Be ([WeComPS.WeComGender]::Female)
        (Get-WeComUser -UserId lin.hai).Department | Should -Be @(1)
    }

    It 'changes nothing under -WhatIf' {
        New-WeComUser -UserId what.if -Name 假如 -Email what.if@example.com -WhatIf
        Get-WeComUser -UserId what.if -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports a taken userid with WeCom''s errcode' {
        New-WeComUser -UserId lisi -Name 李四 -Email other@example.com -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserIdExists,WeComPS.Commands.NewWeComUserCommand'
        $err[0].Exception.ErrCode | Should -Be 60102
        $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
    }
}

Describe 'Set-WeComUser, Disable-WeComUser and Enable-WeComUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'changes the given field of piped members and leaves the others' {
        $changed = Get-WeComUser -DepartmentId 9 | Set-WeComUser -Position 移动端工程师 -PassThru
        $changed.Count | Should -Be 3
        $changed.Position | Sort-Object -Unique | Should -BeExactly '移动端工程师'
        (Get-WeComUser -UserId HanYi).Department | Should -Be @(9, 6)
    }

    It 'moves a piped member to new departments without its old order and leader flags' {
        $moved = Get-WeComUser -UserId LiSi | Set-WeComUser -Department 5 -PassThru
        $moved.Department | Should -Be @(5)
        $moved.Order.Count | Should -Be 1
    }

    It 'updates members from CSV rows, ignoring blank cells' {
        'UserId,Position,Mobile', 'ZhouBa,前端负责人,' | ConvertFrom-Csv | Set-WeComUser
        $zhouBa = Get-WeComUser -UserId ZhouBa
        $zhouBa.Position | Should -BeExactly '前端负责人'
        $zhouBa.Mobile | Should -Not -BeNullOrEmpty
    }

    It 'disables and enables piped members' {
        $disabled = Get-WeComUser -DepartmentId 6 | Disable-WeComUser -PassThru
        $disabled.Status | Sort-Object -Unique | Should -Be ([WeComPS.WeComUserStatus]::Disabled)
        'ZhouBa' | Enable-WeComUser
        (Get-WeComUser -UserId ZhouBa).Status | Should -Be ([WeComPS.WeComUserStatus]::Active)
    }

    It 'changes nothing under -WhatIf' {
        Disable-WeComUser -UserId GuoWu -WhatIf
        (Get-WeComUser -UserId GuoWu).Status | Should -Be ([WeComPS.WeComUserStatus]::Active)
    }
}

Describe 'Remove-WeComUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'removes nothing under -WhatIf' {
        Get-WeComUser -DepartmentId 7 | Remove-WeComUser -WhatIf
        (Get-WeComUser -DepartmentId 7).Count | Should -Be 3
    }

    It 'takes the users of piped tag members but refuses a tagged department as a userid' {
        $out = Get-WeComTagMember -TagId 1 | Remove-WeComUser -WhatIf -ErrorVariable err -ErrorAction SilentlyContinue 6>&1
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -Match "WeComTagDepartment '8' has no UserId"
        (Get-WeComTagMember -TagId 1 -MemberType User).Count | Should -Be 3
    }

    It 'reports the unknown id and still removes every other member' {
        'LinSan', 'ghost', 'HuangEr' | Remove-WeComUser -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFound,WeComPS.Commands.RemoveWeComUserCommand'
        $err[0].TargetObject | Should -BeExactly 'ghost'
        (Get-WeComUser -DepartmentId 7).UserId | Should -Be @('HeSi')
    }
}

Describe 'New-, Set- and Remove-WeComDepartment' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'creates parents before children from CSV rows' {
        $created = 'Id,Name,ParentId,Order', '60,华南区,1,5', '61,深圳,60,', '62,广州,60,' | ConvertFrom-Csv | New-WeComDepartment
        $created.Id | Should -Be @(60, 61, 62)
        (Get-WeComDepartment -Id 60 -Recurse).Path | Should -Be @('/广州研发中心/华南区', '/广州研发中心/华南区/深圳', '/广州研发中心/华南区/广州')
    }

    It 'refuses a forbidden name before sending it' {
        New-WeComDepartment -Name 'a|b' -ParentId 1 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidDepartmentName,WeComPS.Commands.NewWeComDepartmentCommand'
    }

    It 'renames and moves a department' {
        $moved = Get-WeComDepartment -Id 62 | Set-WeComDepartment -Name 广州分部 -ParentId 1 -PassThru
        $moved.Path | Should -BeExactly '/广州研发中心/广州分部'
    }

    It 'removes a department and everything below it, deepest first' {
        Get-WeComDepartment -Id 60 -Recurse | Remove-WeComDepartment -Confirm:$false
        Get-WeComDepartment -Id 60, 61 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'explains why a department with members cannot go' {
        Remove-WeComDepartment -Id 10 -Confirm:$false -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentHasMembers,WeComPS.Commands.RemoveWeComDepartmentCommand'
        $err[0].ErrorDetails.RecommendedAction | Should -Match 'members'
    }
}

Describe 'Tags: New-, Set-, Remove-WeComTag, Add- and Remove-WeComTagUser' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'creates and renames a tag' {
        $tag = New-WeComTag -Name 发布值班
        $tag | Should -BeOfType ([WeComPS.WeComTag])
        ($tag | Set-WeComTag -Name 发布值班组 -PassThru).TagName | Should -BeExactly '发布值班组'
        (Get-WeComTag -TagId $tag.TagId).TagName | Should -BeExactly '发布值班组'
    }

    It 'tags piped departments and users' {
        Get-WeComDepartment -Name '邮箱*' | Add-WeComTagUser -TagId 3
        Get-WeComUser -DepartmentId 9 | Add-WeComTagUser -TagId 3
        (Get-WeComTagMember -TagId 3 -MemberType Department).DepartmentId | Sort-Object | Should -Be @(2, 5, 6)
        (Get-WeComTagMember -TagId 3 -MemberType User).Count | Should -Be 3
    }

    It 'copies the members of one tag to another: -TagId wins over the piped TagId' {
        $added = Get-WeComTagMember -TagId 2 | Add-WeComTagUser -TagId 3 -PassThru
        $added.TagId | Sort-Object -Unique | Should -Be 3
        (Get-WeComTagMember -TagId 3 -MemberType User).Count | Should -Be 6
    }

    It 'does not take an Id column of a CSV row for a department' {
        $rows = 'Id,UserId', '5,XiaoLiu' | ConvertFrom-Csv
        $rows | Add-WeComTagUser -TagId 2 -PassThru | ForEach-Object MemberType | Should -Be 'User'
    }

    It 'reports a cell that does not convert instead of dropping it' {
        'UserId,Name,Email,Department', 'typo.dept,错部门,typo@example.com,Sales;5' | ConvertFrom-Csv |
            New-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].Exception.Message | Should -Match "User 'typo.dept': No department is named 'Sales'"
        Get-WeComUser -UserId typo.dept -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'reports the members WeCom rejects and tags the others' {
        $rows = 'UserId', 'LiSi', 'ghost' | ConvertFrom-Csv
        $rows | Add-WeComTagUser -TagId 2 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'TagMemberRejected,WeComPS.Commands.AddWeComTagUserCommand'
        $err[0].TargetObject | Should -BeExactly 'ghost'
        (Get-WeComTagMember -TagId 2).UserId | Should -Contain 'LiSi'
    }

    It 'clears a tag by piping its members' {
        Get-WeComTagMember -TagId 2 | Remove-WeComTagUser -Confirm:$false
        Get-WeComTagMember -TagId 2 | Should -BeNullOrEmpty
    }

    It 'says once that a tag belongs to another app' {
        $app = Connect-Corp $SandboxAppSecret -Name app
        try {
            'LiSi', 'XiaoLiu' | ForEach-Object { [pscustomobject]@{ UserId = $_ } } |
                Add-WeComTagUser -TagId 1 -Connection $app -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'NoTagPermission,WeComPS.Commands.AddWeComTagUserCommand'
            $err[0].TargetObject | Should -Be 1
        }
        finally {
            Disconnect-WeCom -Name app
            Connect-Corp | Out-Null
        }
    }

    It 'removes a tag but not under -WhatIf' {
        Remove-WeComTag -TagId 3 -WhatIf
        Get-WeComTag -TagId 3 | Should -Not -BeNullOrEmpty
        Get-WeComTag -TagId 3 | Remove-WeComTag -Confirm:$false
        Get-WeComTag -TagId 3 -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Get-WeComUserId, ConvertTo-WeComOpenId and Send-WeComInvitation' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'finds userids by mobile and email and feeds them to Get-WeComUser' {
        (Get-WeComUserId -Mobile 13810000001 | Get-WeComUser).Name | Should -BeExactly '张三'
        (Get-WeComUserId -Email wangwu@example.com -EmailType Personal).UserId | Should -BeExactly 'WangWu'
        Get-WeComUserId -Mobile 13899999999 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].Exception.ErrCode | Should -Be 46004
    }

    It 'converts userids to openids' {
        $ids = Get-WeComUser -DepartmentId 5 | ConvertTo-WeComOpenId
        $ids.Count | Should -Be 4
        $ids[0].OpenId | Should -Not -BeNullOrEmpty
    }

    It 'invites members and names the invalid targets' {
        Send-WeComInvitation -UserId ZhengShi, ghost -DepartmentId 6 -ErrorVariable err -ErrorAction SilentlyContinue
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvitationRejected,WeComPS.Commands.SendWeComInvitationCommand'
        $err[0].TargetObject | Should -BeExactly 'ghost'
    }
}

Describe 'Invoke-WeComApi' -Tag CI {
    BeforeAll { Connect-FreshCorp }

    It 'calls any API and returns objects as ConvertFrom-Json would' {
        $user = Invoke-WeComApi user/get -Query @{ userid = 'LiSi' }
        $user.name | Should -BeExactly '李四'
        $user.department | Should -Be @(2, 5)
    }

    It 'posts a hashtable body, and only with consent' {
        Invoke-WeComApi tag/create -Body @{ tagname = '临时' } -WhatIf
        Get-WeComTag -Name 临时 | Should -BeNullOrEmpty
        (Invoke-WeComApi tag/create -Body @{ tagname = '临时' }).tagid | Should -BeGreaterThan 3
        Get-WeComTag -Name 临时 | Should -Not -BeNullOrEmpty
    }

    It 'confirms a POST whatever the case of -Method' {
        Invoke-WeComApi tag/create -Method post -Body @{ tagname = '小写' } -WhatIf
        Get-WeComTag -Name 小写 | Should -BeNullOrEmpty
    }

    It 'confirms a GET that changes data, and sends known reads without asking' {
        Invoke-WeComApi user/delete -Query @{ userid = 'ZhangSan' } -WhatIf
        (Get-WeComUser -UserId ZhangSan).Name | Should -BeExactly '张三'
        (Invoke-WeComApi department/get -Query @{ id = 2 } -WhatIf).department.name | Should -BeExactly '邮箱产品部'
    }

    It 'maps WeCom errors like every cmdlet' {
        { Invoke-WeComApi user/get -Query @{ userid = 'ghost' } -ErrorAction Stop } | Should -Throw -ErrorId 'UserNotFound,WeComPS.Commands.InvokeWeComApiCommand'
    }

    It 'never hands out the token' {
        { Invoke-WeComApi gettoken -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidApiPath,WeComPS.Commands.InvokeWeComApiCommand'
    }
}
