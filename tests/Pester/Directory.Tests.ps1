BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    Connect-WeCom -Sandbox | Out-Null
}

Describe 'Get-WeComDepartment' -Tag CI {
    It 'gets the whole tree with paths and depths by default' {
        $tree = Get-WeComDepartment
        $tree.Count | Should -Be 10
        $tree[0] | Should -BeOfType ([WeComPS.WeComDepartment])
        ($tree | Where-Object Id -EQ 5).Path | Should -BeExactly '/广州研发中心/邮箱产品部/邮箱后台组'
        ($tree | Where-Object Id -EQ 5).Depth | Should -Be 2
    }

    It 'gets departments by id, with -Recurse everything below' {
        (Get-WeComDepartment -Id 2).Name | Should -BeExactly '邮箱产品部'
        (Get-WeComDepartment -Id 2 -Recurse).Id | Should -Be @(2, 5, 6)
        (2, 4 | Get-WeComDepartment).Id | Should -Be @(2, 4)
    }

    It 'filters by name with wildcards' {
        (Get-WeComDepartment -Name '*组').Count | Should -Be 5
    }

    It 'reports an unknown id and still returns the others' {
        $found = Get-WeComDepartment -Id 99, 3 -ErrorVariable err -ErrorAction SilentlyContinue
        $found.Id | Should -Be 3
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'DepartmentNotFound,WeComPS.Commands.GetWeComDepartmentCommand'
        $err[0].TargetObject | Should -Be 99
    }
}

Describe 'Get-WeComUser' -Tag CI {
    It 'gets every member once by default' {
        $users = Get-WeComUser
        $users.Count | Should -Be 24
        ($users.UserId | Sort-Object -Unique).Count | Should -Be 24
    }

    It 'gets direct members of a department, or with -Recurse everyone below' {
        (Get-WeComUser -DepartmentId 2).UserId | Sort-Object | Should -Be @('LiSi', 'XiaoLiu')
        (Get-WeComUser -DepartmentId 2 -Recurse).Count | Should -Be 9
    }

    It 'takes departments from the pipeline and de-duplicates members' {
        $users = Get-WeComDepartment -Id 2 -Recurse | Get-WeComUser
        $users.Count | Should -Be 9
        ($users | Where-Object UserId -EQ 'LiSi').Count | Should -Be 1
    }

    It 'gets users by id from the pipeline and reports the missing one' {
        $users = 'LiSi', 'nobody', 'WangWu' | Get-WeComUser -ErrorVariable err -ErrorAction SilentlyContinue
        $users.UserId | Should -Be @('LiSi', 'WangWu')
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFound,WeComPS.Commands.GetWeComUserCommand'
        $err[0].TargetObject | Should -BeExactly 'nobody'
        $err[0].Exception.ErrCode | Should -Be 60111
    }

    It 'rejects a malformed user id before sending anything' {
        Get-WeComUser -UserId 'no spaces!' -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidUserId,WeComPS.Commands.GetWeComUserCommand'
    }

    It 'binds user ids by property name from CSV rows' {
        $rows = 'UserId', 'ZhouBa', 'WuJiu' | ConvertFrom-Csv
        ($rows | Get-WeComUser).Name | Should -Be @('周八', '吴九')
    }

    It 'has typed gender and status' {
        $user = Get-WeComUser -UserId ZhengShi
        $user.Gender | Should -Be ([WeComPS.WeComGender]::Male)
        $user.Status | Should -Be ([WeComPS.WeComUserStatus]::NotActivated)
        $user.Department | Should -Be @(6)
    }

    It 'reads the light list with -Simple' {
        $users = Get-WeComUser -DepartmentId 9 -Simple
        $users.UserId | Sort-Object | Should -Be @('HanYi', 'SongJiu', 'XieShi')
        $users | ForEach-Object { $_.Mobile | Should -BeNullOrEmpty }
    }

    It 'returns $null, not empty strings, for fields WeCom withholds from new apps' {
        $app = Connect-WeCom -Sandbox -Name app -Secret (ConvertTo-TestSecret $SandboxAppSecret) -PassThru
        try {
            $user = Get-WeComUser -UserId WangWu -Connection $app
            $user.Name | Should -BeExactly '王五'
            $null -eq $user.Mobile | Should -BeTrue
            $null -eq $user.Email | Should -BeTrue
            $null -eq $user.Gender | Should -BeTrue
        }
        finally {
            Disconnect-WeCom -Name app
            Connect-WeCom -Sandbox | Out-Null
        }
    }

    It 'explains an out-of-scope read' {
        $app = Connect-WeCom -Sandbox -Name app -Secret (ConvertTo-TestSecret $SandboxAppSecret) -PassThru
        try {
            Get-WeComUser -DepartmentId 3 -Connection $app -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeExactly 'NoPrivilege,WeComPS.Commands.GetWeComUserCommand'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            $err[0].ErrorDetails.RecommendedAction | Should -Match '通讯录同步'
        }
        finally {
            Disconnect-WeCom -Name app
            Connect-WeCom -Sandbox | Out-Null
        }
    }

    It 'stops early without error when the pipeline stops' {
        (Get-WeComUser | Select-Object -First 2).Count | Should -Be 2
    }

    It 'writes the calls to the verbose and debug streams without the token' {
        # Not -Debug: on Windows PowerShell 5.1 it means Inquire, which fails in a non-interactive session.
        $DebugPreference = 'Continue'
        $log = Get-WeComUser -DepartmentId 5 -Verbose 5>&1 4>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        ($log.Message -join "`n") | Should -Match 'user/list\?department_id=5'
        ($log.Message -join "`n") | Should -Not -Match 'access_token'
    }

    It 'can be run from parallel runspaces' -Skip:($PSVersionTable.PSEdition -eq 'Desktop') {
        $counts = 1..4 | ForEach-Object -Parallel {
            Import-Module $using:ModulePath
            Connect-WeCom -Sandbox | Out-Null
            (Get-WeComUser -DepartmentId 1 -Recurse).Count
        } -ThrottleLimit 4
        $counts | Should -Be @(24, 24, 24, 24)
    }
}

Describe 'Get-WeComTag and Get-WeComTagMember' -Tag CI {
    It 'gets tags, by name with wildcards and by id' {
        (Get-WeComTag).Count | Should -Be 3
        (Get-WeComTag -Name '技术*').TagId | Should -Be 1
        (Get-WeComTag -TagId 2).TagName | Should -BeExactly '新员工'
        Get-WeComTag -TagId 2, 77 -ErrorVariable err -ErrorAction SilentlyContinue | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'TagNotFound,WeComPS.Commands.GetWeComTagCommand'
    }

    It 'gets the users and departments of tags from the pipeline' {
        $members = Get-WeComTag -Name '技术*' | Get-WeComTagMember
        ($members | Where-Object MemberType -EQ User).UserId | Sort-Object | Should -Be @('HanYi', 'SunQi', 'WangWu')
        ($members | Where-Object MemberType -EQ Department).DepartmentId | Should -Be 8
        (Get-WeComTagMember -TagId 1 -MemberType Department).Count | Should -Be 1
    }

    It 'feeds tag members to Get-WeComUser: tagged users, and the members of tagged departments' {
        (Get-WeComTagMember -TagId 2 | Get-WeComUser).Name | Should -Be @('萧六', '冯三', '赵六')
        (Get-WeComTagMember -TagId 1 | Get-WeComUser).UserId | Sort-Object | Should -Be @('HanYi', 'LiangBa', 'LuoQi', 'MaLiu', 'SunQi', 'WangWu')
    }

    It 'does not fall back to every member when no piped object binds' {
        $out = [pscustomobject]@{ UserId = $null } | Get-WeComUser -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
    }

    It 'reports an unknown tag' {
        Get-WeComTagMember -TagId 42 -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidTagId,WeComPS.Commands.GetWeComTagMemberCommand'
    }
}
